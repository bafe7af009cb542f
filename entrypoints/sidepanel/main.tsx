import '@/components/options/options.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AllNotes } from '@/components/notes/AllNotes';

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <div className="al-options al-theme al-sidepanel">
        <h1 className="al-sidepanel-title">All notes</h1>
        <AllNotes />
      </div>
    </StrictMode>,
  );
}
